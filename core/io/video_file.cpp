#include "core/io/decode.h"

// Apart from decode.cpp: a program that decodes only images (uvis-cli's precheck) takes
// decode.cpp's object without needing OpenCV's video module.

namespace uvis {

bool openVideoFile(cv::VideoCapture& capture, const std::string& path) {
    capture.release();
    return capture.open(path, cv::CAP_FFMPEG) && capture.isOpened();
}

}  // namespace uvis
