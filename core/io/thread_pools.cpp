#include "core/io/thread_pools.h"

#include <opencv2/core.hpp>

#include "core/runtime/compute_threads.h"

namespace uvis {

void setComputeThreads(int threads) {
    if (threads <= 0) return;
    setLibTorchThreads(threads);
    cv::setNumThreads(threads);
}

}  // namespace uvis
