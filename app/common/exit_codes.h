#pragma once
// The exit codes of every uvis program — uvis, uvis-cli, uvis-train, uvis-bench — in one table, so
// that a script reads them alike (docs/cli.md lists them).

namespace uvis::app {

enum ExitCode : int {
    Ok = 0,         // done
    Failure = 1,    // the run itself failed: interrupted, an output that cannot be written, a failed check
    BadUsage = 2,   // a usage error: unknown option, bad or missing value
    BadInput = 3,   // an input (image, video, data set, ground truth, a file the command reads) is missing or broken
    BadModel = 4,   // the model is refused, or fails while it runs
};

}  // namespace uvis::app
