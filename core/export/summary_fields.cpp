#include "core/export/summary_fields.h"

namespace uvis {

nlohmann::json calibrationSummary(const Calibration& c) {
    return {{"applied", !c.identity()}, {"temperature", c.temperature}, {"depth_variance_scale", c.depthVarianceScale}};
}

nlohmann::json trainedDropoutJson(const ModelCard& card, double p) {
    using nlohmann::json;
    if (!card.hasDropout) return nullptr;
    json rates = json::array();
    for (const DropoutSite& site : card.dropoutRates)
        rates.push_back({{"where", site.where}, {"p", site.p ? json(*site.p) : json("computed")}});
    const bool proportional = card.dropoutScaling == DropoutScaling::Proportional;
    json out{{"train_p", card.trainDropout}, {"scaling", proportional ? "proportional" : "uniform"}, {"rates", rates}};
    if (proportional && card.trainDropout > 0) out["factor"] = p / card.trainDropout;
    return out;
}

}  // namespace uvis
