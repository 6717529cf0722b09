# mercury/fs: the file protocol's server side (fsserve.c, for every file
# server) and the namespace and file API programs link (FILE_SRCS).
FSSERVE_SRCS := mercury/fs/fsserve.c
FILE_SRCS := mercury/fs/file.c mercury/fs/ns.c
