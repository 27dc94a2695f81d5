"""The build's stage glue: each module turns the model into one part of a release."""
