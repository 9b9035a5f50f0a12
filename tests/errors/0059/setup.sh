# Runs in the case's data/ folder before the check.
# A flow list at a line start, crowded on one line (the parser would queue
# it whole), and a file with a flood of brackets over many lines.
{ printf '['; for i in $(seq 10001); do printf 'a,'; done; echo 'a]'; } >records/crowded.yaml
{ echo 'id: flood'; echo 'channels:'; for i in $(seq 10001); do echo '  - ['; done; } >records/flood.yaml
{ printf 'id: compact\nchannels:\n'; for i in $(seq 65); do printf -- '- '; done; echo online; } >records/compact.yaml
