#pragma once
// One progress line on stderr, rewritten in place on a terminal, with an ETA.

#include <chrono>
#include <string>

namespace uvis {

class ConsoleProgress {
public:
    explicit ConsoleProgress(std::string label, bool quiet = false);
    // `detail` is appended after "done/total, ETA".
    void update(int done, int total, const std::string& detail = {});
    void finish(const std::string& message = {});

private:
    std::string label_;
    bool quiet_;
    bool tty_;
    std::chrono::steady_clock::time_point start_, lastPrint_;
};

std::string formatDuration(double seconds);

}  // namespace uvis
