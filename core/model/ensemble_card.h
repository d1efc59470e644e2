#pragma once
// Which files make a deep ensemble (SPEC §2 "ensemble"): a folder of member models, or an
// ensemble card, a JSON file {"uvis_ensemble": 1, "name": "...", "members": ["a.uvis", ...]}
// whose member paths are relative to the card. Public: standard types only.

#include <string>
#include <vector>

namespace uvis {

struct EnsembleListing {
    std::string name;                  // the card's name, else the folder's
    std::vector<std::string> members;  // absolute or as given, in member order
    std::string error;                 // names the file and the problem; empty on success
};

// Whether `path` names an ensemble: a folder, or a JSON file with the key "uvis_ensemble".
bool isEnsemblePath(const std::string& path);

// More members than this are refused (each is loaded and checked: a card listing the same file
// 100,000 times must not keep a process busy for hours).
constexpr int kMaxEnsembleMembers = 64;

// A folder's model files (*.uvis, *.pt, *.ts; sorted by name) or a card's members. At least two,
// at most kMaxEnsembleMembers.
EnsembleListing listEnsemble(const std::string& path);

// The text of an ensemble card to be written at `cardPath`: member paths relative to its folder.
std::string ensembleCardJson(const std::string& cardPath, const std::string& name,
                             const std::vector<std::string>& members);

}  // namespace uvis
