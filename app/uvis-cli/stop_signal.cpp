#include "stop_signal.h"

#include <atomic>
#include <csignal>

namespace uvis::cli {
namespace {

// Lock-free, so the handler may store it and other threads read it (a volatile sig_atomic_t is
// safe for the handler but not between threads).
std::atomic<bool> stopFlag{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

void onSignal(int) { stopFlag.store(true); }

}  // namespace

void stopOnSignals() {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
}

bool stopRequested() { return stopFlag.load(); }

}  // namespace uvis::cli
