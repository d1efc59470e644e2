#include "core/mc_settings.h"

#include <cmath>
#include <sstream>

namespace uvis {

std::string validateSettings(const McSettings& s) {
    std::ostringstream out;
    if (s.samples < 1)
        out << "the number of MC samples T must be at least 1 (got " << s.samples << ")";
    else if (!std::isfinite(s.dropout) || s.dropout < 0.0 || s.dropout >= 1.0)
        out << "the dropout rate p must lie in [0, 1) (got " << s.dropout << ")";
    else if (s.chunkSize < 0)
        out << "the chunk size must be 0 (automatic) or positive (got " << s.chunkSize << ")";
    else if (s.noiseSamples < 0 || s.noiseSamples > 1024)
        out << "the number of logit-noise draws must lie in [0, 1024] (got " << s.noiseSamples
            << ")";
    return out.str();
}

int defaultChunkSize(DeviceKind device) {
    // CPU: uvis-bench --chunks on 2 cores showed batching passes is slower than a loop of
    // single passes (oneDNN already uses every core for one pass), and chunk 1 gives the
    // earliest partial result. CUDA: batching fills the GPU; 8 passes a call.
    return device == DeviceKind::Cuda ? 8 : 1;
}

}  // namespace uvis
