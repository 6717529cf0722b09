# The top Makefile reads tests/*/*.mk only: this brings in the in-OS ipc
# round trip (tests/mercury/ipc/inos/inos.mk, run by tests/qemu/ipc.t).
include tests/mercury/ipc/inos/inos.mk
