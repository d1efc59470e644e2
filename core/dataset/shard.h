#pragma once
// Which inputs one process of a sharded run takes: a deterministic 1/N of them by a
// stable hash of each input's path relative to the data set, so that N processes on N machines
// (a Slurm array, a Kubernetes Indexed Job) split a data set without talking to each other, and
// the split does not change with the order files are listed in or the machine.

#include <cstdint>
#include <string>

namespace uvis {

struct Shard {
    int index = 0;  // 0 … count − 1
    int count = 1;
    bool all() const { return count == 1; }
};

// FNV-1a, 64 bit, over the bytes of `relativePath` with '/' separators: the same on every
// machine and every run (std::hash is neither).
std::uint64_t stablePathHash(const std::string& relativePath);
bool inShard(const std::string& relativePath, const Shard& shard);

struct ShardResult {
    Shard shard;
    std::string error;  // names the argument or variable and what is wrong
};
// "I/N" with 0 ≤ I < N ≤ 100000.
ShardResult parseShard(const std::string& text);
// "auto": Slurm's SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT, else
// Kubernetes' JOB_COMPLETION_INDEX of `count` (--shard-count; Kubernetes does not export the
// number of completions). `count` > 0 also checks Slurm's count. `getenv` is injectable for tests.
ShardResult shardFromEnvironment(int count, const char* (*getenv)(const char*) = nullptr);

}  // namespace uvis
