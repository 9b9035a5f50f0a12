# Runs in the case's data/ folder before the build: no site settings.
rm site.yaml
sed 1d "$ROOT/tests/errors/0051/in.yaml" >records/acme.yaml
