// Read-only memory mapping of a whole file. The mapping lives as long as any Tensor that views it
// (Tensors hold the shared_ptr as their owner).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "recinfer/status.h"

namespace recinfer {

class MappedFile {
 public:
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  // Refuses anything but a regular file (a FIFO, device or directory) without blocking on it.
  static Result<std::shared_ptr<MappedFile>> open(const std::string& path);

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Hard links to the file when it was opened (st_nlink).
  uint64_t link_count() const { return link_count_; }

 private:
  MappedFile() = default;
  const char* data_ = nullptr;
  size_t size_ = 0;
  uint64_t link_count_ = 0;
  std::string path_;
};

}  // namespace recinfer
