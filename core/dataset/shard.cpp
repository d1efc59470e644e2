#include "core/dataset/shard.h"

#include <cstdlib>
#include <cstring>

namespace uvis {
namespace {

constexpr int kMaxShards = 100000;

// A whole number 0 … limit from all of `text`, else -1.
long wholeNumber(const char* text, long limit) {
    if (!text || !*text) return -1;
    char* end = nullptr;
    const long v = std::strtol(text, &end, 10);
    return *end == '\0' && v >= 0 && v <= limit && text[0] != '-' && text[0] != '+' ? v : -1;
}

}  // namespace

std::uint64_t stablePathHash(const std::string& relativePath) {
    std::uint64_t h = 14695981039346656037ull;
    for (char c : relativePath) {
        h ^= static_cast<unsigned char>(c == '\\' ? '/' : c);
        h *= 1099511628211ull;
    }
    return h;
}

bool inShard(const std::string& relativePath, const Shard& shard) {
    return shard.count <= 1 || stablePathHash(relativePath) % static_cast<std::uint64_t>(shard.count) ==
                                   static_cast<std::uint64_t>(shard.index);
}

ShardResult parseShard(const std::string& text) {
    ShardResult r;
    const size_t slash = text.find('/');
    const long index = slash == std::string::npos ? -1 : wholeNumber(text.substr(0, slash).c_str(), kMaxShards);
    const long count = slash == std::string::npos ? -1 : wholeNumber(text.substr(slash + 1).c_str(), kMaxShards);
    if (index < 0 || count < 1 || index >= count) {
        r.error = "--shard must be I/N with 0 ≤ I < N ≤ 100000 (shards are numbered from 0), or auto; got '" + text + "'";
        return r;
    }
    r.shard = {static_cast<int>(index), static_cast<int>(count)};
    return r;
}

ShardResult shardFromEnvironment(int count, const char* (*getenvFn)(const char*)) {
    auto get = [&](const char* name) -> const char* { return getenvFn ? getenvFn(name) : std::getenv(name); };
    ShardResult r;
    if (const char* id = get("SLURM_ARRAY_TASK_ID")) {
        const long task = wholeNumber(id, 1L << 30);
        const long min = get("SLURM_ARRAY_TASK_MIN") ? wholeNumber(get("SLURM_ARRAY_TASK_MIN"), 1L << 30) : 0;
        const long n = wholeNumber(get("SLURM_ARRAY_TASK_COUNT"), kMaxShards);
        if (task < 0 || min < 0 || n < 1) {
            r.error = "--shard auto: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT must be whole numbers";
            return r;
        }
        if (count > 0 && count != n) {
            r.error = "--shard auto: --shard-count " + std::to_string(count) + " disagrees with SLURM_ARRAY_TASK_COUNT=" +
                      std::to_string(n);
            return r;
        }
        // The array must be contiguous (--array=0-2 or 1-3): then the index is the offset.
        if (task - min >= n) {
            r.error = "--shard auto: SLURM_ARRAY_TASK_ID " + std::to_string(task) + " is not within " +
                      std::to_string(n) + " tasks from SLURM_ARRAY_TASK_MIN " + std::to_string(min) +
                      " (use a contiguous --array, e.g. 0-" + std::to_string(n - 1) + ")";
            return r;
        }
        r.shard = {static_cast<int>(task - min), static_cast<int>(n)};
        return r;
    }
    if (const char* index = get("JOB_COMPLETION_INDEX")) {
        const long i = wholeNumber(index, kMaxShards);
        if (count < 1) {
            r.error = "--shard auto under Kubernetes needs --shard-count N (the Job's completions)";
            return r;
        }
        if (i < 0 || i >= count) {
            r.error = "--shard auto: JOB_COMPLETION_INDEX=" + std::string(index) + " is not in 0–" +
                      std::to_string(count - 1);
            return r;
        }
        r.shard = {static_cast<int>(i), count};
        return r;
    }
    r.error = "--shard auto: neither SLURM_ARRAY_TASK_ID (a Slurm array job) nor JOB_COMPLETION_INDEX (a Kubernetes "
              "Indexed Job) is set; give --shard I/N";
    return r;
}

}  // namespace uvis
