#pragma once
// Checking a model file against the contract of SPEC §4 before anyone relies on it.
// Public: no LibTorch types.

#include <string>
#include <vector>

#include "core/device.h"
#include "core/model_card.h"

namespace uvis {

struct ModelReport {
    bool ok = false;
    std::string path;
    std::string kind;        // "uvis native" or "TorchScript"
    bool fastPath = false;   // encode once, decode T times
    ModelCard card;
    std::vector<std::string> outputs;   // "seg_logits: 1×8×48×64 float32"
    std::vector<std::string> problems;  // plain words; empty when ok
};

// Loads the model, runs it once on a blank input of the card's size and checks every output
// (name, dtype, shape, finiteness), that passes differ for p > 0 (a traced or otherwise frozen
// dropout gives identical passes), and that decode(encode(x)) equals forward(x) at p = 0.
ModelReport validateModel(const std::string& path, DeviceKind device = DeviceKind::Cpu);

// The report as text, one finding per line.
std::string formatReport(const ModelReport& report);

// validateModel, with its report printed: to stdout for a good model, to stderr for a refusal.
// What `uvis-cli validate-model` and the application's check process print.
ModelReport validateAndPrint(const std::string& path);

}  // namespace uvis
