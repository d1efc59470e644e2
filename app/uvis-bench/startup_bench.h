#pragma once
// uvis-bench --startup: how long each program takes to start, beside an empty program linked the
// same way (ratios: the machine is shared and noisy). It runs in the front: it only starts
// processes, and needs no LibTorch itself.

#include <nlohmann/json.hpp>

#include <string>

namespace uvis::bench {

// Prints the table and returns its rows as JSON. `model`: the model of the check rows; `image`: a
// PNG whose truncated copy is the refused input.
nlohmann::json benchStartup(int repeats, const std::string& model, const std::string& image);

}  // namespace uvis::bench
