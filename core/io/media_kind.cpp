#include "core/io/media_kind.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

namespace uvis {

namespace {
std::string lowerSuffix(const std::string& path) {
    std::string suffix = std::filesystem::path(path).extension().string();
    std::transform(suffix.begin(), suffix.end(), suffix.begin(), [](unsigned char c) { return std::tolower(c); });
    return suffix;
}
}  // namespace

bool isModelFile(const std::string& path) {
    static const std::set<std::string> models{".uvis", ".pt", ".pth", ".ts", ".torchscript"};
    return models.count(lowerSuffix(path)) > 0;
}

MediaKind mediaKind(const std::string& path) {
    static const std::set<std::string> images{".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm", ".pgm"};
    static const std::set<std::string> videos{".avi", ".mp4", ".mkv", ".mov", ".webm", ".m4v", ".mpg", ".mpeg"};
    const std::string suffix = lowerSuffix(path);
    if (images.count(suffix)) return MediaKind::Image;
    if (videos.count(suffix)) return MediaKind::Video;
    return MediaKind::Other;
}

}  // namespace uvis
