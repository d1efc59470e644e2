#pragma once
// One setting for both thread pools that compute: LibTorch's intra-op pool and OpenCV's.

namespace uvis {

// threads ≤ 0 leaves the libraries' defaults.
void setComputeThreads(int threads);

}  // namespace uvis
