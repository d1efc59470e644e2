#include "startup_bench.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <vector>

#include "bench_report.h"
#include "common/work_library.h"

extern char** environ;

namespace uvis::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Run {
    double ms = 0;
    int exitCode = -1;
};

// One run of `args` with its output discarded: wall time from spawn to exit.
Run runOnce(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&files, 2, "/dev/null", O_WRONLY, 0);
    const auto start = Clock::now();
    pid_t pid = 0;
    const int error = posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&files);
    if (error != 0) throw std::runtime_error("cannot start " + args[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    Run run;
    run.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    run.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}

// The median of `repeats` runs, after one that warms the page cache; the exit code must be `expected`.
double medianMs(const std::vector<std::string>& args, int expected, int repeats) {
    std::vector<double> ms;
    for (int i = 0; i <= repeats; ++i) {
        const Run run = runOnce(args);
        if (run.exitCode != expected) {
            std::string line;
            for (const std::string& a : args) line += a + " ";
            throw std::runtime_error(line + "exited " + std::to_string(run.exitCode) + ", not " +
                                     std::to_string(expected));
        }
        if (i > 0) ms.push_back(run.ms);
    }
    return median(ms);
}

// The first half of `png`: a file that starts as an image and ends early.
std::string truncatedCopy(const std::string& png, const std::string& folder) {
    std::ifstream in(png, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 64) throw std::runtime_error(png + ": not an image to truncate");
    const std::string path = folder + "/truncated.png";
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    return path;
}

}  // namespace

nlohmann::json benchStartup(int repeats, const std::string& model, const std::string& image) {
    const std::string bin = app::executableDir();
    const std::string emptyFront = app::workDir() + "/uvis-empty-front";
    const std::string emptyWork = app::workDir() + "/uvis-empty-work";
    const std::string emptyPrecheck = app::workDir() + "/uvis-empty-precheck";
    const std::string folder = std::filesystem::temp_directory_path() / ("uvis-bench-startup-" + std::to_string(getpid()));
    std::filesystem::create_directories(folder);
    const std::string truncated = truncatedCopy(image, folder);

    Table table({"command", "ms", "empty program linked alike", "empty ms", "ratio"});
    nlohmann::json rows = nlohmann::json::array();
    auto add = [&](const std::string& label, const std::vector<std::string>& args, int expected,
                   const std::string& baseLabel, double baseMs) {
        const double ms = medianMs(args, expected, repeats);
        table.add({label, fixed(ms, 1), baseLabel, fixed(baseMs, 1), fixed(ms / baseMs, 2)});
        rows.push_back({{"command", label}, {"ms", ms}, {"baseline", baseLabel}, {"baseline_ms", baseMs}});
        return ms;
    };
    const double front = medianMs({emptyFront}, 0, repeats);
    const double work = medianMs({emptyWork}, 0, repeats);
    const double precheck = medianMs({emptyPrecheck}, 0, repeats);
    for (const std::string program : {"uvis", "uvis-cli", "uvis-train", "uvis-bench"}) {
        add(program + " --version", {bin + "/" + program, "--version"}, 0, "front", front);
        add(program + " --help", {bin + "/" + program, "--help"}, 0, "front", front);
    }
    // Refused by uvis-cli's precheck, before LibTorch is loaded.
    const std::string refuse = "uvis-cli infer (truncated PNG, refused)";
    const double refused = add(refuse, {bin + "/uvis-cli", "infer", "-q", "-o", folder + "/out", truncated}, 3,
                               "OpenCV codecs + Qt Gui", precheck);
    // A user's model (a copy of the given one: the bundled model itself is trusted), run with and
    // without the child-process check before it is loaded.
    const std::string userModel = folder + "/user-model.uvis";
    std::filesystem::copy_file(model, userModel);
    const std::vector<std::string> infer{bin + "/uvis-cli", "infer", "-q", "-T", "2", "--overwrite", "--no-gt",
                                         "-m", userModel, "-o", folder + "/out", image};
    std::vector<std::string> trusted = infer;
    trusted.insert(trusted.begin() + 2, "--trust-model");
    const double loaded = add("uvis-cli infer -T 2 (model trusted)", trusted, 0, "LibTorch + OpenCV + Qt Gui", work);
    const double checked = add("uvis-cli infer -T 2 (model checked first)", infer, 0, "LibTorch + OpenCV + Qt Gui", work);
    std::filesystem::remove_all(folder);

    std::cout << "Start-up: median of " << repeats << " runs after a warm-up; 'front' is an empty program linked as\n"
              << "the fronts are, 'LibTorch + OpenCV + Qt Gui' one linked as uvis-cli's work library is,\n"
              << "'OpenCV codecs + Qt Gui' one linked as its input precheck is\n"
              << table.str() << "checking a user's model in a child process costs " << fixed(checked - loaded, 1)
              << " ms more than trusting it\n\n";
    return {{"rows", rows},           {"empty_front_ms", front},
            {"empty_work_ms", work},  {"empty_precheck_ms", precheck},
            {"refused_ms", refused},  {"check_extra_ms", checked - loaded}};
}

}  // namespace uvis::bench
