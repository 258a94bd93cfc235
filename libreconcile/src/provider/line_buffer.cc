#include "provider/line_buffer.h"

namespace reconcile::plugin {

void LineBuffer::Append(const char* data, std::size_t size) {
  if (start_ > 0 && start_ * 2 >= buffer_.size()) {
    buffer_.erase(0, start_);
    scan_ -= start_;
    start_ = 0;
  }
  buffer_.append(data, size);
}

bool LineBuffer::Next(std::string* line) {
  std::size_t newline = buffer_.find('\n', scan_);
  if (newline == std::string::npos) {
    scan_ = buffer_.size();
    return false;
  }
  std::size_t end = newline;
  if (end > start_ && buffer_[end - 1] == '\r') --end;
  line->assign(buffer_, start_, end - start_);
  start_ = scan_ = newline + 1;
  return true;
}

std::string LineBuffer::TakeRest() {
  std::string rest = buffer_.substr(start_);
  buffer_.clear();
  start_ = scan_ = 0;
  return rest;
}

}  // namespace reconcile::plugin
