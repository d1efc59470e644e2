#pragma once
// How many CPU threads LibTorch's intra-op pool uses. The application keeps one core for the GUI
// thread (default: the cores minus one, at least one) so that the window stays responsive while
// the worker computes; the command-line tools use every core unless told otherwise.

namespace uvis {

int hardwareThreads();
int interactiveThreadDefault();  // max(1, cores − 1)
void setLibTorchThreads(int threads);

}  // namespace uvis
