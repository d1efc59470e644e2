#pragma once
// A deep ensemble for SPEC §2 "ensemble": K members of one design, trained with different seeds
// (initial weights, data order, dropout masks), and the ensemble card that lists them.
// Public: no LibTorch types.

#include <functional>
#include <string>
#include <vector>

#include "core/training/trainer.h"

namespace uvis {

// Member k (from 0) of an ensemble written at `out`: `out` itself for k = 0 (so member 1 is the
// model a plain run with the same seed writes), "<stem>-m<k+1><ext>" for the others.
std::string ensembleMemberPath(const std::string& out, int k);
// "<stem>.ensemble.json" beside `out`.
std::string ensembleCardPath(const std::string& out);

struct EnsembleTrainResult {
    std::vector<std::string> members;
    std::vector<bool> kept;  // a member finished by an earlier run (same seed and steps): not retrained
    std::string card;
    std::string error;
    std::string warning;
    bool ok() const { return error.empty(); }
};

// Trains `members` members, member k with seed options.seed + k, and writes the ensemble card.
// Resumable at two levels: a finished member is kept, a member's checkpoint is continued.
// `progress(k, p)` as trainModel's; returning false stops (the card is not written).
EnsembleTrainResult trainEnsemble(const TrainOptions& options, int members,
                                  const std::function<bool(int, const TrainProgress&)>& progress = {});

}  // namespace uvis
