// Turning a non-2xx AWS answer into an AwsError, for every protocol family,
// tolerant of bodies labelled with the wrong content type (moto sends XML
// errors as text/html) and of empty bodies (S3 HEAD 404).
#pragma once

#include <string_view>

#include "aws/endpoints.h"
#include "aws/error.h"
#include "aws/sigv4.h"

namespace reconcile::aws {

// Parses the error in `body`, trying the family's format first and then the
// others (query <ErrorResponse><Error>, EC2 <Response><Errors><Error>, S3
// <Error>, JSON {"__type"|"code", "message"|"Message"}, X-Amzn-ErrorType header).
// Without a recognisable body the code comes from the HTTP status ("NotFound"
// for 404, "PreconditionFailed" for 412, "NotModified" for 304, ...).
AwsError ParseErrorResponse(Protocol protocol, int http_status, const HeaderList& headers,
                            std::string_view body);

// "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" ->
// "ResourceNotFoundException"; "ValidationException:http://..." -> "ValidationException".
std::string_view ShortErrorCode(std::string_view type);

}  // namespace reconcile::aws
