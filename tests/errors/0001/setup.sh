# Runs in the case's data/ folder before the check.
mkdir records/acme.yaml
