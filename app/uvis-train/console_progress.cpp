#include "console_progress.h"

#include <unistd.h>

#include <cstdio>

namespace uvis {

std::string formatDuration(double seconds) {
    const long s = static_cast<long>(seconds + 0.5);
    char buffer[32];
    if (s >= 3600) std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else if (s >= 60) std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
    else std::snprintf(buffer, sizeof buffer, "%lds", s);
    return buffer;
}

ConsoleProgress::ConsoleProgress(std::string label, bool quiet)
    : label_(std::move(label)), quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()), lastPrint_(start_) {}

void ConsoleProgress::update(int done, int total, const std::string& detail) {
    if (quiet_) return;
    const auto now = std::chrono::steady_clock::now();
    // On a terminal at most 10 lines a second; in a log every 5 s (and the last one).
    const double since = std::chrono::duration<double>(now - lastPrint_).count();
    if (done < total && since < (tty_ ? 0.1 : 5.0)) return;
    lastPrint_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double eta = done > 0 ? elapsed / done * (total - done) : 0;
    std::fprintf(stderr, "%s%s %d/%d (%.0f%%), %s elapsed, ETA %s%s%s%s", tty_ ? "\r\033[K" : "", label_.c_str(),
                 done, total, total > 0 ? 100.0 * done / total : 0.0, formatDuration(elapsed).c_str(),
                 formatDuration(eta).c_str(), detail.empty() ? "" : ", ", detail.c_str(), tty_ ? "" : "\n");
    std::fflush(stderr);
}

void ConsoleProgress::finish(const std::string& message) {
    if (quiet_) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "%s%s done in %s%s%s\n", tty_ ? "\r\033[K" : "", label_.c_str(),
                 formatDuration(elapsed).c_str(), message.empty() ? "" : ": ", message.c_str());
}

}  // namespace uvis
