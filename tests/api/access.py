from tests.access import Access, admin_pages, same_for_all

#: The API answers 401 to every request without a bearer token, a signed-in browser's
#: session included (the matrix's clients send none); POST is no method of it (405).
API = same_for_all(401, 405, anonymous_to_login=False)

ACCESS = {
    #    anon off  offB fac  facB prog dprd admin
    "tokens:list": Access(
        "302  200  200  200  200  200  200  200",  # GET
        "302  200  200  200  200  200  200  200",  # POST: an empty name is a form error
    ),
    "tokens:revoke": Access(
        "302  405  405  405  405  405  405  405",  # GET
        "302  302  404  404  404  404  404  302",  # POST: the owner and administrators
        args=("api_token",),
    ),
    "api:aspirations": API,
    "api:aspiration": Access(API.get, API.post, args=("aspiration",), anonymous_to_login=False),
    "api:groups": API,
    "api:reses_meetings": API,
    "api:dashboard": API,
    "api:dashboard_funnel": API,
    "api:dashboard_money": API,
    # Django Ninja's root of the API: no operation there.
    "api:api-root": same_for_all(404, anonymous_to_login=False),
    # The OpenAPI document and its docs page are public: they describe, and hold no data.
    # Django Ninja serves them to any method; a POST reads the same page.
    "api:openapi-json": same_for_all(200, anonymous_to_login=False),
    "api:openapi-view": same_for_all(200, anonymous_to_login=False),
    **admin_pages("api.ApiToken", add=403),
}
