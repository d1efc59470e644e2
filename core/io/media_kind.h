#pragma once
// Which files are images and which are videos, by their suffix: one list for uvis-cli (folder
// inputs) and the application (File → Open, drag and drop).

#include <string>

namespace uvis {

enum class MediaKind { Image, Video, Other };

MediaKind mediaKind(const std::string& path);  // case-insensitive suffix

// A model file by its suffix: .uvis, .pt, .pth, .ts, .torchscript.
bool isModelFile(const std::string& path);

}  // namespace uvis
