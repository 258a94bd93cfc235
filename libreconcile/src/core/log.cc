#include "core/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace reconcile::log {

namespace {

struct Sink {
  std::mutex mutex;
  Level level = Level::kOff;
  int fd = STDERR_FILENO;
  bool owns_fd = false;
  bool configured = false;
};

Sink& TheSink() {
  static Sink sink;
  return sink;
}

// The registered secrets, indexed by their first kMinSecretSize bytes so a
// line is scrubbed in one pass whatever their number.
class Secrets {
 public:
  void Add(std::string_view secret) {
    if (secret.size() < kMinSecretSize) return;
    std::unique_lock<std::shared_mutex> lock(mutex_);
    if (!known_.emplace(secret).second) return;
    std::vector<std::string>& bucket = by_prefix_[Prefix(secret.data())];
    bucket.emplace_back(secret);
    // Longest first: a secret that contains another is hidden whole.
    std::sort(bucket.begin(), bucket.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  }

  // Calls `on_match(position, length)` for each secret found, left to right
  // without overlaps; returns the count.
  template <typename OnMatch>
  std::size_t Find(std::string_view text, OnMatch on_match) const {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    if (by_prefix_.empty()) return 0;
    std::size_t found = 0;
    for (std::size_t i = 0; i + kMinSecretSize <= text.size();) {
      auto bucket = by_prefix_.find(Prefix(text.data() + i));
      std::size_t length = 0;
      if (bucket != by_prefix_.end()) {
        for (const std::string& secret : bucket->second) {
          if (text.substr(i, secret.size()) == secret) {
            length = secret.size();
            break;
          }
        }
      }
      if (length == 0) {
        ++i;
        continue;
      }
      on_match(i, length);
      ++found;
      i += length;
    }
    return found;
  }

 private:
  static std::uint32_t Prefix(const char* at) {
    std::uint32_t key = 0;
    std::memcpy(&key, at, sizeof key);
    return key;
  }
  static_assert(kMinSecretSize == sizeof(std::uint32_t));

  mutable std::shared_mutex mutex_;
  std::unordered_set<std::string> known_;
  std::unordered_map<std::uint32_t, std::vector<std::string>> by_prefix_;
};

Secrets& TheSecrets() {
  static Secrets secrets;
  return secrets;
}

Level ParseLevel(const char* text) {
  if (text == nullptr) return Level::kOff;
  std::string s(text);
  if (s == "error") return Level::kError;
  if (s == "warn") return Level::kWarn;
  if (s == "info") return Level::kInfo;
  if (s == "debug") return Level::kDebug;
  if (s == "trace") return Level::kTrace;
  return Level::kOff;
}

// Opens the log file for appending, readable by its owner only: a trace log
// holds request bodies.
int OpenLogFile(const char* path) {
  int fd = ::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return -1;
  struct stat st{};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0)
    ::fchmod(fd, st.st_mode & 0700);
  return fd;
}

void ConfigureLocked(Sink& sink) {
  if (sink.owns_fd) ::close(sink.fd);
  sink.fd = STDERR_FILENO;
  sink.owns_fd = false;
  sink.level = ParseLevel(std::getenv("RECONCILE_LOG"));
  if (const char* path = std::getenv("RECONCILE_LOG_FILE"); path != nullptr && *path != '\0') {
    int fd = OpenLogFile(path);
    if (fd >= 0) {
      sink.fd = fd;
      sink.owns_fd = true;
      if (sink.level == Level::kOff) sink.level = Level::kInfo;
    }
  }
  sink.configured = true;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kError:
      return "ERROR";
    case Level::kWarn:
      return "WARN";
    case Level::kInfo:
      return "INFO";
    case Level::kDebug:
      return "DEBUG";
    case Level::kTrace:
      return "TRACE";
    case Level::kOff:
      break;
  }
  return "";
}

// Writes all of `line` (one write call unless the descriptor takes less), so
// lines of processes sharing an O_APPEND file do not interleave.
void WriteAll(int fd, const std::string& line) {
  std::size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

bool Enabled(Level level) {
  Sink& sink = TheSink();
  std::lock_guard<std::mutex> lock(sink.mutex);
  if (!sink.configured) ConfigureLocked(sink);
  return level != Level::kOff && level <= sink.level;
}

void Write(Level level, std::string_view component, std::string_view message) {
  if (!Enabled(level)) return;
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[48];
  std::size_t length = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(stamp + length, sizeof stamp - length, ".%03dZ ", static_cast<int>(millis.count()));
  std::string line = stamp;
  line += LevelName(level);
  line += " [";
  line += component;
  line += "] ";
  line += message;
  line = Scrub(line);
  line += '\n';
  Sink& sink = TheSink();
  std::lock_guard<std::mutex> lock(sink.mutex);
  WriteAll(sink.fd, line);
}

void Reconfigure() {
  Sink& sink = TheSink();
  std::lock_guard<std::mutex> lock(sink.mutex);
  ConfigureLocked(sink);
}

void AddSecret(std::string_view secret) { TheSecrets().Add(secret); }

std::string Scrub(std::string_view text) {
  std::string out;
  std::size_t copied = 0;
  std::size_t found = TheSecrets().Find(text, [&](std::size_t at, std::size_t length) {
    out.append(text.substr(copied, at - copied));
    out += "***";
    copied = at + length;
  });
  if (found == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

bool ContainsSecret(std::string_view text) {
  return TheSecrets().Find(text, [](std::size_t, std::size_t) {}) > 0;
}

}  // namespace reconcile::log
