// A stream that ends inside a record: what came before is traced, then
// the error names the record, and END still runs.
// setup: @B@/tests/trace/mkstream @D@/basic.txt @O@/whole.bin && head -c 1000 @O@/whole.bin > @O@/truncated.bin
// args: -q -i @O@/truncated.bin
syscall:::entry { n++; }
END { printf("%d entries before the cut\n", n); }
