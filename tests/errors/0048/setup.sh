# Runs in the case's data/ folder before the check: no site settings.
rm site.yaml
sed 1d "$ROOT/tests/errors/0048/in.yaml" >records/acme.yaml
