#include "core/runtime/allocator_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace uvis {

void tuneAllocatorForInference() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 256 << 20);  // blocks up to 256 MiB come from the heap ...
    mallopt(M_TRIM_THRESHOLD, 512 << 20);  // ... and stay there when freed
#endif
}

void releaseFreedMemory() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

}  // namespace uvis
