# Helios kernel build (filled in by the boot work).
