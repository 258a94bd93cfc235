#include "aws/error_parser.h"

#include <cctype>
#include <optional>

#include <nlohmann/json.hpp>

#include "aws/http.h"
#include "aws/retry.h"
#include "aws/xml.h"

namespace reconcile::aws {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// The error element of any of the XML error shapes, or an invalid node.
XmlNode FindXmlError(const XmlDocument& doc) {
  XmlNode root = doc.root();
  if (root.name() == "Error") return root;                       // S3
  if (XmlNode e = root.Child("Error"); e.valid()) return e;      // query, Route53
  if (XmlNode e = root.Find("Errors/Error"); e.valid()) return e;  // EC2
  return root.Descendant("Error");
}

bool FillFromXml(std::string_view body, AwsError& error) {
  auto doc = XmlDocument::Parse(body);
  if (!doc || doc->empty()) return false;
  XmlNode node = FindXmlError(*doc);
  if (!node.valid() || node.Text("Code").empty()) return false;
  error.code = node.Text("Code");
  error.message = node.Text("Message");
  for (std::string_view id_name : {"RequestId", "RequestID"}) {
    if (!error.request_id.empty()) break;
    error.request_id = node.Text(id_name);
    if (error.request_id.empty()) error.request_id = doc->root().Text(id_name);
  }
  return true;
}

std::string StringField(const nlohmann::json& object, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    auto it = object.find(name);
    if (it != object.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

bool FillFromJson(std::string_view body, AwsError& error) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return false;
  std::string type = StringField(doc, {"__type", "code", "Code", "ErrorCode", "errorCode"});
  std::string message = StringField(doc, {"message", "Message", "errorMessage", "ErrorMessage"});
  if (type.empty() && message.empty()) return false;
  if (!type.empty()) error.code = std::string(ShortErrorCode(type));
  error.message = message;
  return true;
}

std::string CodeForStatus(int status) {
  switch (status) {
    case 304: return "NotModified";
    case 400: return "BadRequest";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 409: return "Conflict";
    case 412: return "PreconditionFailed";
    case 429: return "TooManyRequestsException";
    case 500: return "InternalError";
    case 502: return "BadGateway";
    case 503: return "ServiceUnavailable";
    case 504: return "GatewayTimeout";
    default: return "HTTP" + std::to_string(status);
  }
}

std::string RequestIdFromHeaders(const HeaderList& headers) {
  for (std::string_view name : {"x-amzn-requestid", "x-amz-request-id", "x-amzn-request-id"}) {
    if (const std::string* value = FindHeader(headers, name)) return *value;
  }
  return {};
}

// A short, single-line excerpt of an unparseable body for the message.
std::string Excerpt(std::string_view body) {
  std::string out;
  for (char c : Trim(body).substr(0, 200)) out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  return out;
}

}  // namespace

std::string_view ShortErrorCode(std::string_view type) {
  if (std::size_t hash = type.rfind('#'); hash != std::string_view::npos) type = type.substr(hash + 1);
  if (std::size_t colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  return Trim(type);
}

AwsError ParseErrorResponse(Protocol protocol, int http_status, const HeaderList& headers,
                            std::string_view body) {
  AwsError error;
  error.http_status = http_status;
  error.request_id = RequestIdFromHeaders(headers);
  std::string_view trimmed = Trim(body);
  bool json_first = protocol == Protocol::kJson || protocol == Protocol::kRestJson;
  bool looks_json = !trimmed.empty() && trimmed.front() == '{';
  bool looks_xml = !trimmed.empty() && trimmed.front() == '<';
  bool parsed = false;
  if (looks_json || (json_first && !looks_xml)) parsed = FillFromJson(trimmed, error);
  if (!parsed && looks_xml) parsed = FillFromXml(trimmed, error);
  if (const std::string* type = FindHeader(headers, "x-amzn-errortype");
      type != nullptr && (error.code.empty() || !parsed)) {
    error.code = std::string(ShortErrorCode(*type));
  }
  if (error.code.empty()) {
    error.code = CodeForStatus(http_status);
    if (error.message.empty()) {
      error.message = trimmed.empty() ? "HTTP " + std::to_string(http_status) + " with no body"
                                      : Excerpt(trimmed);
    }
  }
  FailureKind kind = ClassifyResponse(http_status, error.code);
  error.retryable = kind != FailureKind::kPermanent;
  return error;
}

}  // namespace reconcile::aws
