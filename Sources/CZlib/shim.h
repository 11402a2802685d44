// zlib (Debian's zlib1g-dev), for the gzip form of metrics.csv (output.metrics_file: csv.gz).
#include <zlib.h>
