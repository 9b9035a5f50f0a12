# Runs in the case's data/ folder before the check: links out of it.
echo 'SECRET_TOKEN=hunter2' >../secret.env
ln -s ../../secret.env records/acme.yaml
rm site.yaml
ln -s ../secret.env site.yaml
