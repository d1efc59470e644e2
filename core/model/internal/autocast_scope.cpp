#include "core/model/internal/autocast_scope.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

// LibTorch 2.4 replaced the per-backend autocast functions by ones that take the device type;
// the engine builds against Debian's 1.13 and against current CUDA builds alike.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define UVIS_AUTOCAST_BY_DEVICE_TYPE 1
#endif

namespace uvis {
namespace {

bool enabled(bool cuda) {
#ifdef UVIS_AUTOCAST_BY_DEVICE_TYPE
    return at::autocast::is_autocast_enabled(cuda ? at::kCUDA : at::kCPU);
#else
    return cuda ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
#endif
}

void setEnabled(bool cuda, bool on) {
#ifdef UVIS_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_enabled(cuda ? at::kCUDA : at::kCPU, on);
#else
    if (cuda) at::autocast::set_enabled(on);
    else at::autocast::set_cpu_enabled(on);
#endif
}

at::ScalarType dtype(bool cuda) {
#ifdef UVIS_AUTOCAST_BY_DEVICE_TYPE
    return at::autocast::get_autocast_dtype(cuda ? at::kCUDA : at::kCPU);
#else
    return cuda ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
#endif
}

void setDtype(bool cuda, at::ScalarType type) {
#ifdef UVIS_AUTOCAST_BY_DEVICE_TYPE
    at::autocast::set_autocast_dtype(cuda ? at::kCUDA : at::kCPU, type);
#else
    if (cuda) at::autocast::set_autocast_gpu_dtype(type);
    else at::autocast::set_autocast_cpu_dtype(type);
#endif
}

}  // namespace

AutocastScope::AutocastScope(Precision precision, const torch::Device& device) {
    if (precision != Precision::Bf16) return;
    active_ = true;
    cuda_ = device.is_cuda();
    wasEnabled_ = enabled(cuda_);
    previousType_ = dtype(cuda_);
    setDtype(cuda_, at::kBFloat16);
    setEnabled(cuda_, true);
    // Nesting keeps the casts of the weights cached for the whole request: every pass reuses them.
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
    if (!active_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    setEnabled(cuda_, wasEnabled_);
    setDtype(cuda_, previousType_);
}

bool autocastActive() { return enabled(false) || enabled(true); }

void outputsToFloat32(ModelOutputs& out) {
    for (torch::Tensor* t : {&out.depthMean, &out.depthLogVar, &out.segLogits, &out.segLogVar})
        if (t->defined() && t->scalar_type() != torch::kFloat32) *t = t->to(torch::kFloat32);
}

}  // namespace uvis
