// Empty: the target exists for its header; libFuzzer (linked by -sanitize=fuzzer) defines the function.
#include "CFuzzer.h"
