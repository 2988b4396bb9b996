"""What journeys achieved, as plain data: funnels and the dashboard (funnels), A/B funnels (split_funnel),
revenue and uplift (roi), and the words that describe them (words, roi_words). Pages live in app/pages/analytics/.
"""
