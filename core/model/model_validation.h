#pragma once
// Checking a model file against the contract of SPEC §4 before anyone relies on it.
// Public: no LibTorch types.

#include <string>
#include <vector>

#include "core/model/model_loader.h"

#include "core/runtime/device.h"
#include "core/model/model_card.h"

namespace uvis {

struct ModelReport {
    bool ok = false;
    std::string path;
    std::string kind;        // "uvis native" or "TorchScript"
    bool fastPath = false;   // encode once, decode T times
    ModelCard card;
    std::vector<std::string> outputs;   // "seg_logits: 1×8×48×64 float32"
    int passesPerCall = 0;              // 0: any number (a batch); 1: the model takes one image per call
    std::vector<std::string> notes;     // what a user should know about a good model
    std::vector<std::string> problems;  // plain words; empty when ok
};

// Loads the model, runs it on a blank input of the card's size as the engine does and checks every
// output (name, dtype, shape, finiteness); that a chunk of two passes runs in one call (a model
// that takes one image per call is noted: it runs pass by pass); that passes at p = 0 are
// identical (a random op that ignores the rate is caught); for a model with dropout, that passes
// differ at its trained rate (a traced or otherwise frozen dropout gives identical passes); and
// that decode(encode(x)) equals forward(x) at p = 0.
// `checked`, when given, receives the model it loaded when the model passed: a run after the check
// then need not load it again.
ModelReport validateModel(const std::string& path, DeviceKind device = DeviceKind::Cpu,
                          LoadedModel* checked = nullptr);

// The report as text, one finding per line.
std::string formatReport(const ModelReport& report);

// validateModel, with its report printed: to stdout for a good model, to stderr for a refusal.
// What `uvis-cli validate-model` and the application's check process print.
ModelReport validateAndPrint(const std::string& path);

}  // namespace uvis
