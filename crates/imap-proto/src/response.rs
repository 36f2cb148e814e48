//! Server responses: status responses, untagged data, FETCH data items and continuation requests, parsed and written.
