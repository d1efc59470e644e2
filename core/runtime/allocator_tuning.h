#pragma once
// Process-wide memory-allocator settings for inference. Call once at the start of main().

namespace uvis {

// LibTorch allocates its CPU tensors with glibc's malloc, which serves blocks over a threshold
// with fresh mmap()s and returns them on free: every multi-megabyte activation then costs page
// faults again, on each MC pass. Raising the mmap and trim thresholds keeps freed blocks for
// reuse (measured with uvis-bench: the naive loop of 16 passes at 256×192 went from 519 to
// 172 ms on 2 cores). A no-op where the C library is not glibc.
void tuneAllocatorForInference();

// Gives the memory freed since (kept by the thresholds above) back to the system: for a program
// that stays open idle, such as the application between runs. A no-op where not glibc.
void releaseFreedMemory();

}  // namespace uvis
