#include "core/runtime/compute_threads.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <thread>

namespace uvis {

int hardwareThreads() { return std::max(1u, std::thread::hardware_concurrency()); }

int interactiveThreadDefault() { return std::max(1, hardwareThreads() - 1); }

// at::set_num_threads stores the count globally; every thread (our workers included) applies it
// when it first runs a parallel operator.
void setLibTorchThreads(int threads) {
    if (threads > 0) at::set_num_threads(threads);
}


}  // namespace uvis
