# tests/cpu: Helios on CPU models stricter than QEMU's TCG (docs/kernel.md,
# "What TCG hides"). Bochs boots the image through GRUB from an ISO.
CHECK_TESTS += tests/cpu/bochs.t
DEBIAN_PKGS += bochs bochsbios vgabios grub-pc-bin grub-common xorriso mtools
