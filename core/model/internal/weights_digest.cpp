#include "core/model/internal/weights_digest.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace uvis {

std::string weightsSha256(const torch::nn::Module& module) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 is not available");
    auto update = [&](const void* data, size_t bytes) { EVP_DigestUpdate(ctx.get(), data, bytes); };
    auto add = [&](const std::string& name, const torch::Tensor& value) {
        update(name.data(), name.size() + 1);  // with the terminating zero: names cannot run together
        const std::string dtype(c10::toString(value.scalar_type()));
        update(dtype.data(), dtype.size() + 1);
        const auto sizes = value.sizes();
        update(sizes.data(), sizes.size() * sizeof(int64_t));
        const torch::Tensor bytes = value.detach().to(torch::kCPU).contiguous();
        update(bytes.data_ptr(), bytes.nbytes());
    };
    for (const auto& item : module.named_parameters()) add(item.key(), item.value());
    for (const auto& item : module.named_buffers()) add(item.key(), item.value());
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    static const char* hex = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 15];
    }
    return text;
}

}  // namespace uvis
