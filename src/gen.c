/* placeholder until the generator lands */
#include "gen.h"
int gen_skeleton(FILE *out, const char *id, date_days today) { (void)out; (void)id; (void)today; return -1; }
int gen_records(const char *dir, size_t n, uint64_t seed, date_days today, const struct industry *i, size_t ni) { (void)dir; (void)n; (void)seed; (void)today; (void)i; (void)ni; return -1; }
