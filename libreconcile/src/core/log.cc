#include "core/log.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>

namespace reconcile::log {

namespace {

struct Sink {
  std::mutex mutex;
  Level level = Level::kOff;
  std::FILE* file = nullptr;
  bool owns_file = false;
  bool configured = false;
};

Sink& TheSink() {
  static Sink sink;
  return sink;
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

void ConfigureLocked(Sink& sink) {
  if (sink.owns_file && sink.file != nullptr) std::fclose(sink.file);
  sink.file = stderr;
  sink.owns_file = false;
  sink.level = ParseLevel(std::getenv("RECONCILE_LOG"));
  if (const char* path = std::getenv("RECONCILE_LOG_FILE"); path != nullptr && *path != '\0') {
    if (std::FILE* f = std::fopen(path, "a")) {
      sink.file = f;
      sink.owns_file = true;
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
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
  Sink& sink = TheSink();
  std::lock_guard<std::mutex> lock(sink.mutex);
  std::fprintf(sink.file, "%s.%03dZ %s [%.*s] %.*s\n", stamp, static_cast<int>(millis.count()),
               LevelName(level), static_cast<int>(component.size()), component.data(),
               static_cast<int>(message.size()), message.data());
  std::fflush(sink.file);
}

void Reconfigure() {
  Sink& sink = TheSink();
  std::lock_guard<std::mutex> lock(sink.mutex);
  ConfigureLocked(sink);
}

}  // namespace reconcile::log
