// uvis-train's work library: the command the front parsed, run.

#include <string>

#include "commands.h"
#include "common/exit_codes.h"
#include "common/work_library.h"
#include "core/io/thread_pools.h"
#include "core/runtime/allocator_tuning.h"
#include "core/runtime/version.h"

namespace uvis::train {
namespace {

// The command as typed, recorded in the cards of trained models.
std::string commandLine(int argc, char** argv) {
    std::string line = "uvis-train";
    for (int i = 1; i < argc; ++i) line += std::string(" ") + argv[i];
    return line;
}

int run(int& argc, char** argv, const ParsedCommand& p) {
    tuneAllocatorForInference();
    setComputeThreads(p.threads);
    const std::string command = commandLine(argc, argv);
    switch (p.command) {
    case ParsedCommand::Render: return runRender(p.render, command);
    case ParsedCommand::Train: return runTrain(p.train, command);
    case ParsedCommand::Evaluate: return runEvaluate(p.evaluate);
    case ParsedCommand::Seal: return runSeal(p.sealPath);
    case ParsedCommand::SeedTable: return runSeedTable(p.table, command);
    }
    return app::BadUsage;
}

}  // namespace
}  // namespace uvis::train

UVIS_WORK_ENTRY(uvis::train::ParsedCommand, uvis::train::run)
