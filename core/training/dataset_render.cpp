#include "core/training/dataset_render.h"
#include "core/types/frame_numbers.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/io/image_io.h"
#include "core/io/npy.h"

namespace uvis {

std::uint64_t sceneSeed(std::uint64_t datasetSeed, int index) {
    return datasetSeed * 1000003ull + static_cast<std::uint64_t>(index);
}

std::string writeDatasetItem(const std::string& dir, const DatasetItem& item, const synth::RenderedFrame& f) {
    if (std::string e = writeRgbPng(itemRgbPath(dir, item), RgbImage{f.width, f.height, f.rgb}); !e.empty()) return e;
    if (std::string e = writeNpy(itemDepthPath(dir, item), FloatMap{f.width, f.height, f.depth}); !e.empty()) return e;
    return writeClassPng(itemLabelsPath(dir, item), ClassMap{f.width, f.height, f.labels});
}

namespace {

DatasetManifest newManifest(synth::Domain domain, std::uint64_t seed, int width, int height,
                            const std::string& command) {
    DatasetManifest m;
    m.domain = domain == synth::Domain::A ? "A" : "B";
    m.seed = seed;
    m.width = width;
    m.height = height;
    m.command = command;
    m.classes = synth::streetClasses();
    return m;
}

}  // namespace

std::string renderSequence(const SequenceOptions& o, const std::function<void(int, int)>& progress) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(o.dir, ec);
    if (ec) return o.dir + ": cannot create the folder (" + ec.message() + ")";
    DatasetManifest m = newManifest(o.domain, o.seed, o.width, o.height, o.command);
    const int frames = static_cast<int>(std::lround(o.seconds * o.fps));
    cv::RNG rng(o.seed);
    const float speed = rng.uniform(6.f, 10.f);
    synth::StreetScene scene =
        synth::generateStreetScene(o.seed, o.domain, static_cast<float>(speed * o.seconds) + 160.f);
    scene.camera.velocity = {0, 0, speed};
    scene.camera.yaw *= 0.3f;  // look along the road while driving
    m.fps = o.fps;
    m.video = "sequence.avi";
    const std::string videoPath = (fs::path(o.dir) / m.video).string();
    const std::string partial = (fs::path(o.dir) / "sequence.part.avi").string();
    cv::VideoWriter writer(partial, cv::CAP_OPENCV_MJPEG, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), o.fps,
                           cv::Size(o.width, o.height));
    if (!writer.isOpened()) return partial + ": cannot open a video writer";
    for (int f = 0; f < frames; ++f) {
        synth::RenderOptions options;
        options.width = o.width;
        options.height = o.height;
        options.time = static_cast<float>(f / o.fps);
        const synth::RenderedFrame frame = synth::renderStreet(scene, options);
        cv::Mat rgb(o.height, o.width, CV_8UC3, const_cast<std::uint8_t*>(frame.rgb.data())), bgr;
        cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
        writer.write(bgr);
        DatasetItem item{frameFileId(f), o.seed, options.time};
        if (o.frameTruth) {
            if (std::string e = writeDatasetItem(o.dir, item, frame); !e.empty()) return e;
            m.items.push_back(item);
        }
        if (progress) progress(f + 1, frames);
    }
    writer.release();
    fs::rename(partial, videoPath, ec);
    if (ec) return videoPath + ": " + ec.message();
    return writeDatasetManifest(o.dir, m);
}

std::string renderStillDataset(const StillDatasetOptions& o, const std::function<void(int, int)>& progress) {
    std::error_code ec;
    std::filesystem::create_directories(o.dir, ec);
    if (ec) return o.dir + ": cannot create the folder (" + ec.message() + ")";
    DatasetManifest m = newManifest(o.domain, o.seed, o.width, o.height, o.command);
    const std::string& domain = m.domain;
    for (int i = 0; i < o.count; ++i) {
        synth::RenderOptions options;
        options.width = o.width;
        options.height = o.height;
        const std::uint64_t seed = sceneSeed(o.seed, i);
        const auto frame = synth::renderStreet(synth::generateStreetScene(seed, o.domain), options);
        char id[32];
        std::snprintf(id, sizeof id, "%s_%06d", domain.c_str(), i);
        DatasetItem item{id, seed, 0.0};
        if (std::string e = writeDatasetItem(o.dir, item, frame); !e.empty()) return e;
        m.items.push_back(item);
        if (progress) progress(i + 1, o.count);
    }
    return writeDatasetManifest(o.dir, m);
}

}  // namespace uvis
