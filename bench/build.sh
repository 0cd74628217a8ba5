# Sourced by the bench scripts that run the server: from the repository's
# root, builds prospector into a temporary folder ($bin), makes an empty data
# folder ($data) and picks a port ($port) for it to listen on.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=$(mktemp -d)/prospector
go build -o "$bin" ./cmd/prospector
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
