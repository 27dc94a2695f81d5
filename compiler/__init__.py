"""cpc, the content-package compiler: 4ALLPORTAL exports to Exstream content packages."""

__version__ = "0.1.0"
