#include "aws/error.h"

#include <algorithm>

namespace reconcile::aws {

namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

bool IsThrottlingCode(std::string_view code) {
  static constexpr std::string_view kCodes[] = {
      "Throttling",
      "ThrottlingException",
      "ThrottledException",
      "RequestThrottledException",
      "RequestThrottled",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "TransactionInProgressException",
      "RequestLimitExceeded",
      "BandwidthLimitExceeded",
      "SlowDown",
      "PriorRequestNotComplete",
      "EC2ThrottledException",
  };
  return std::find(std::begin(kCodes), std::end(kCodes), code) != std::end(kCodes);
}

bool AwsError::IsNotFound() const {
  if (http_status == 404) return true;
  std::string_view c = code;
  return c.starts_with("NoSuch") || EndsWith(c, "NotFound") || EndsWith(c, "NotFoundException") ||
         EndsWith(c, ".NotFound") || c == "NotFound" || EndsWith(c, "NotFoundFault");
}

bool AwsError::IsThrottling() const { return IsThrottlingCode(code) || http_status == 429; }

std::string AwsError::ToString() const {
  std::string out = service;
  if (!operation.empty()) out += (out.empty() ? "" : " ") + operation;
  if (!out.empty()) out += ": ";
  out += code.empty() ? "UnknownError" : code;
  if (!message.empty()) out += ": " + message;
  std::string details;
  if (http_status != 0) details += "HTTP " + std::to_string(http_status);
  if (!request_id.empty()) details += (details.empty() ? "" : ", ") + ("request id " + request_id);
  if (attempts > 1) details += (details.empty() ? "" : ", ") + std::to_string(attempts) + " attempts";
  if (!details.empty()) out += " (" + details + ")";
  return out;
}

Diagnostic AwsError::ToDiagnostic(std::string_view address) const {
  Diagnostic d;
  d.severity = Severity::kError;
  d.address = std::string(address);
  std::string call = service + (operation.empty() ? "" : ":" + operation);
  // The address travels in d.address; Diagnostic::ToString shows it once.
  d.summary = call + " failed: " + (code.empty() ? "UnknownError" : code);
  d.detail = ToString();
  return d;
}

}  // namespace reconcile::aws
