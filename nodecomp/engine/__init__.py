"""Evaluation: requests, hashing, the cache, devices, colour and render jobs.

Importing the engine never imports torch or Qt; torch loads only when a CUDA image is needed.
"""
