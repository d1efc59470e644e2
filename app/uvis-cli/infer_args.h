#pragma once
// From the options infer, ood, calibrate and compare were given (RunArgs) to what they run with
// (InferOptions), with the usage rules that span several options. Without LibTorch: the input
// precheck (input_precheck.cpp) runs it too, before the work library is loaded.

#include "cli_options.h"
#include "core/services/batch/dataset_scoring.h"
#include "parsed_command.h"

namespace uvis::cli {

// Empty and `o` filled, or the usage error.
std::string readInferOptions(const RunArgs& a, bool ood, InferOptions* o);

// How a run's images are decoded: the pixel limit, and the longer side of --size (else the cap on
// written maps) as the largest side worth decoding.
DecodeLimits decodeLimits(const InferOptions& o);

}  // namespace uvis::cli
