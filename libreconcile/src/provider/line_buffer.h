// Splits a byte stream into lines (the plugin protocol's message framing).
#pragma once

#include <cstddef>
#include <string>

namespace reconcile::plugin {

class LineBuffer {
 public:
  // A line longer than `max_line` bytes marks the buffer overflowed.
  explicit LineBuffer(std::size_t max_line = std::size_t{256} << 20) : max_line_(max_line) {}

  void Append(const char* data, std::size_t size);
  // Moves the next complete line (without "\n" or "\r\n") into *line.
  bool Next(std::string* line);
  // The start of an unterminated line longer than the limit.
  bool overflowed() const { return buffer_.size() - start_ > max_line_; }
  // Whatever is left after the last newline (a final unterminated line).
  std::string TakeRest();

 private:
  std::string buffer_;
  std::size_t start_ = 0;  // first byte not yet returned
  std::size_t scan_ = 0;   // bytes before this hold no newline
  std::size_t max_line_;
};

}  // namespace reconcile::plugin
