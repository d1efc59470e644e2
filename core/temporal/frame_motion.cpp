#include "core/temporal/frame_motion.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

namespace uvis {
namespace {

// Below this share of followed pixels, or above this residual, the frames are taken to show
// different scenes. Measured on rendered driving sequences at 10 fps: consecutive frames follow
// 62–84 % of their pixels with residuals of 6–7 grey levels; two different scenes follow 3 % with
// a residual of 44 (tests/tst_temporal.cpp prints it).
constexpr double kMinFollowedShare = 0.5;
constexpr double kMaxResidual = 20.0;

cv::Mat flowBetween(const cv::Mat& from, const cv::Mat& to) {
    // The fast preset: a few milliseconds at the model's input size, small next to one pass.
    static thread_local cv::Ptr<cv::DISOpticalFlow> dis = cv::DISOpticalFlow::create(cv::DISOpticalFlow::PRESET_FAST);
    cv::Mat flow;
    dis->calc(from, to, flow);
    return flow;
}

// The frame's pixels as a matrix (no copy).
cv::Mat matOf(const GreyFrame& frame) {
    return cv::Mat(frame.height, frame.width, CV_8U, const_cast<std::uint8_t*>(frame.pixels.data()));
}

}  // namespace

FrameMotion estimateMotion(const GreyFrame& previousFrame, const GreyFrame& currentFrame) {
    CV_Assert(previousFrame.width == currentFrame.width && previousFrame.height == currentFrame.height);
    const cv::Mat previous = matOf(previousFrame), current = matOf(currentFrame);
    const cv::Mat backward = flowBetween(current, previous);  // current(x) ≈ previous(x + b(x))
    const cv::Mat forward = flowBetween(previous, current);   // previous(y) ≈ current(y + f(y))
    const int H = current.rows, W = current.cols;
    FrameMotion m;
    m.source.resize(size_t(2) * H * W);
    m.followed.resize(size_t(H) * W);
    // Views of the result's buffers.
    cv::Mat source(H, W, CV_32FC2, m.source.data());
    cv::Mat followedMat(H, W, CV_8U, m.followed.data());
    for (int y = 0; y < H; ++y) {
        const auto* b = backward.ptr<cv::Vec2f>(y);
        auto* s = source.ptr<cv::Vec2f>(y);
        for (int x = 0; x < W; ++x) s[x] = cv::Vec2f(x + b[x][0], y + b[x][1]);
    }
    cv::Mat forwardAtSource, warped;
    cv::remap(forward, forwardAtSource, source, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    cv::remap(previous, warped, source, cv::noArray(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    double residualSum = 0;
    long followed = 0;
    for (int y = 0; y < H; ++y) {
        const auto* b = backward.ptr<cv::Vec2f>(y);
        const auto* f = forwardAtSource.ptr<cv::Vec2f>(y);
        const auto* s = source.ptr<cv::Vec2f>(y);
        const auto* c = current.ptr<uchar>(y);
        const auto* p = warped.ptr<uchar>(y);
        auto* ok = followedMat.ptr<uchar>(y);
        for (int x = 0; x < W; ++x) {
            const bool inside = s[x][0] >= 0 && s[x][0] <= W - 1 && s[x][1] >= 0 && s[x][1] <= H - 1;
            const cv::Vec2f loop = f[x] + b[x];
            const bool agree = loop.dot(loop) < 0.01 * (f[x].dot(f[x]) + b[x].dot(b[x])) + 0.5;
            ok[x] = inside && agree;
            if (ok[x]) {
                residualSum += std::abs(int(c[x]) - int(p[x]));
                ++followed;
            }
        }
    }
    m.followedShare = double(followed) / (double(H) * W);
    m.residual = followed > 0 ? residualSum / followed : 255.0;
    m.cut = m.followedShare < kMinFollowedShare || m.residual > kMaxResidual;
    return m;
}

}  // namespace uvis
